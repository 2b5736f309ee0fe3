"""A table of formulas and the results Excel documents for them (Microsoft's function reference).

The expected values come from Excel's documented behaviour (including the examples printed in
Microsoft's function pages: ROUND, DATE, EOMONTH, MID, SUBSTITUTE, TRIM, VALUE ...), not from this
engine's output.
"""

from __future__ import annotations

import math

import pytest

from mock_apps.sheets.formula import Engine, ExcelError


class Err:
    """An expected Excel error value."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __repr__(self) -> str:
        return self.code


TODAY = 46053  # 2026-01-31, the world clock's date in this table

DATA = {
    # column A: numbers, an empty cell, text (column B also has B11 below: SUM(B:B) = 35)
    "A1": "10", "A2": "20", "A3": "30", "A5": "abc",
    "B1": "1", "B2": "2", "B3": "3", "B4": "4", "B5": "5",
    "C1": "TRUE", "C2": "'5", "C3": "=1/0",
    # a lookup table E1:G5
    "E1": "Apple", "F1": "1.5", "G1": "100",
    "E2": "Banana", "F2": "0.25", "G2": "200",
    "E3": "Cherry", "F3": "3", "G3": "300",
    "E4": "Date", "F4": "2", "G4": "400",
    "E5": "Elder", "F5": "5", "G5": "500",
    # a sorted grade table H1:I5
    "H1": "0", "I1": "F", "H2": "100", "I2": "D", "H3": "500", "I3": "C",
    "H4": "1000", "I4": "B", "H5": "5000", "I5": "A",
    # sales by region K1:L6
    "K1": "East", "L1": "100", "K2": "West", "L2": "200", "K3": "East", "L3": "300",
    "K4": "North", "L4": "400", "K5": "East", "L5": "500", "K6": "West", "L6": "600",
    # a horizontal table A10:D11
    "A10": "Q1", "B10": "Q2", "C10": "Q3", "D10": "Q4",
    "A11": "10", "B11": "20", "C11": "30", "D11": "40",
}
OTHER_SHEETS = {"Jan 2026": {"A1": "100", "B1": "200"}, "It's": {"A1": "7"}}

TABLE: list[tuple[str, object]] = [
    # operators and precedence
    ("=1+2*3", 7), ("=(1+2)*3", 9), ("=2^3^2", 64), ("=-2^2", 4), ("=2*-3^2", 18),
    ("=10/4", 2.5), ("=1/0", Err("#DIV/0!")), ("=5%", 0.05), ("=50%*200", 100), ("=7-2-1", 4),
    ("=10-(-5)", 15), ("=2^0.5", math.sqrt(2)), ("=(-8)^(1/3)", Err("#NUM!")), ("=0^0", Err("#NUM!")),
    # concatenation
    ('=2+3&"x"', "5x"), ('="a"&"b"&"c"', "abc"), ("=1&2", "12"), ('=TRUE&""', "TRUE"),
    ('=0.1+0.2&""', "0.3"), ('=A1&" units"', "10 units"), ('=B2/B1*100&"%"', "200%"),
    # comparison
    ("=1=1", True), ('="a"="A"', True), ('="a"<"b"', True), ('=1<"a"', True), ('="z"<TRUE', True),
    ("=2<>2", False), ("=3>=3", True), ("=DATE(2026,1,1)>DATE(2025,12,31)", True),
    ("=0.1+0.2=0.3", True), ("=0.1+0.2>0.3", False),  # numbers compare at 15 significant digits
    # coercion
    ('="1"+1', 2), ('="abc"+1', Err("#VALUE!")), ("=TRUE+TRUE", 2), ("=A4+1", 1), ('=A4=""', True),
    ("=A4=0", True), ("=A5*2", Err("#VALUE!")), ("=C2*2", 10), ("=C3+1", Err("#DIV/0!")),
    ('=1/0+"abc"', Err("#DIV/0!")), ('=-"2"', -2), ("=--TRUE", 1), ('="2026-01-31"+0', 46053),
    # empty cells
    ("=Z99", 0), ('=Z99&""', ""), ("=SUM(Z1:Z5)", 0), ("=ISBLANK(Z99)", True), ("=COUNTA(Z1:Z5)", 0),
    ("=AVERAGE(Z1:Z3)", Err("#DIV/0!")),
    # aggregates
    ("=SUM(1,2,3)", 6), ("=SUM(A1:A5)", 60), ('=SUM("5",15,TRUE)', 21), ("=SUM(C1:C2)", 0),
    ("=SUM(A1:A3,100)", 160), ('=SUM("abc")', Err("#VALUE!")), ("=SUM(C1:C3)", Err("#DIV/0!")),
    ("=SUM(B:B)", 35), ("=AVERAGE(B1:B5)", 3), ("=AVERAGE(A1:A5)", 20), ("=AVERAGE(A4)", Err("#DIV/0!")),
    ("=MIN(B1:B5)", 1), ("=MAX(A1:A5)", 30), ("=MAX(C1:C2)", 0), ('=MIN(5,"2")', 2),
    ("=COUNT(A1:A5)", 3), ('=COUNT(1,"2","x",TRUE)', 3), ("=COUNTA(A1:A5)", 4), ("=COUNTA(C1:C3)", 3),
    ("=COUNTBLANK(A1:A5)", 1), ("=PRODUCT(B1:B4)", 24), ("=SUM({1,2;3,4})", 10),
    # rounding and math
    ("=ROUND(2.15,1)", 2.2), ("=ROUND(2.149,1)", 2.1), ("=ROUND(-1.475,2)", -1.48), ("=ROUND(21.5,-1)", 20),
    ("=ROUND(626.3,-3)", 1000), ("=ROUND(1.98,-1)", 0), ("=ROUND(-50.55,-2)", -100),
    ("=ROUNDUP(3.2,0)", 4), ("=ROUNDDOWN(3.14159,3)", 3.141), ("=ABS(-4)", 4), ('=ABS("-2")', 2),
    ("=INT(-8.9)", -9), ("=MOD(3,2)", 1), ("=MOD(-3,2)", 1), ("=MOD(3,-2)", -1), ("=MOD(5,0)", Err("#DIV/0!")),
    ("=SQRT(-1)", Err("#NUM!")),
    # logic
    ('=IF(1>0,"yes","no")', "yes"), ("=IF(FALSE,1)", False), ("=IF(TRUE,1,1/0)", 1),
    ('=IF("abc",1,2)', Err("#VALUE!")), ("=IF(0,1,2)", 2), ("=IF(A4,1,2)", 2),
    ('=IF(A4="","blank","filled")', "blank"), ('=IFS(1>2,"a",2>1,"b")', "b"), ("=IFS(FALSE,1)", Err("#N/A")),
    ('=IFERROR(1/0,"err")', "err"), ('=IFERROR(5,"err")', 5),
    ('=IFERROR(VLOOKUP("Zed",E1:G5,2,FALSE),"missing")', "missing"),
    ("=AND(TRUE,1)", True), ("=AND(TRUE,0)", False), ("=OR(FALSE,0)", False), ("=OR(1=2,2=2)", True),
    ("=NOT(TRUE)", False), ("=NOT(0)", True), ('=AND("abc")', Err("#VALUE!")), ("=AND(C1:C2)", True),
    ('=IFNA(NA(),"x")', "x"), ("=ISBLANK(A4)", True), ("=ISBLANK(A1)", False), ("=ISNUMBER(C2)", False),
    ("=ISTEXT(A5)", True), ("=ISERROR(C3)", True), ('=ISNA(MATCH("zz",E1:E5,0))', True),
    ("=AND(ISNUMBER(B1),B1>0,NOT(ISBLANK(A1)))", True), ("=MAX(IF(1,5,0),3)", 5),
    # lookups
    ('=VLOOKUP("Cherry",E1:G5,3,FALSE)', 300), ('=VLOOKUP("cherry",E1:G5,2,FALSE)', 3),
    ('=VLOOKUP("Zed",E1:G5,2,FALSE)', Err("#N/A")), ('=VLOOKUP("Ch*",E1:G5,3,FALSE)', 300),
    ("=VLOOKUP(750,H1:I5,2,TRUE)", "C"), ("=VLOOKUP(750,H1:I5,2)", "C"), ("=VLOOKUP(-1,H1:I5,2,TRUE)", Err("#N/A")),
    ("=VLOOKUP(5000,H1:I5,2,TRUE)", "A"), ("=VLOOKUP(99999,H1:I5,2,TRUE)", "A"),
    ('=VLOOKUP("Apple",E1:G5,4,FALSE)', Err("#REF!")), ('=VLOOKUP("Apple",E1:G5,0,FALSE)', Err("#VALUE!")),
    ('=HLOOKUP("Q3",A10:D11,2,FALSE)', 30), ('=HLOOKUP("Q9",A10:D11,2,FALSE)', Err("#N/A")),
    ('=HLOOKUP("Q2",A10:D11,3,FALSE)', Err("#REF!")),
    ('=MATCH("Date",E1:E5,0)', 4), ("=MATCH(600,H1:H5,1)", 3), ("=MATCH(600,H1:H5)", 3),
    ('=MATCH("zz",E1:E5,0)', Err("#N/A")), ("=MATCH(1,H1:H5,1)", 1), ("=MATCH(1,E1:G5,0)", Err("#N/A")),
    ("=INDEX(E1:G5,2,3)", 200), ("=INDEX(E1:G5,6,1)", Err("#REF!")), ("=INDEX(B1:B5,4)", 4),
    ('=INDEX(E1:G5,MATCH("Elder",E1:E5,0),2)', 5), ("=SUM(INDEX(E1:G5,0,3))", 1500), ("=INDEX({1,2;3,4},2,1)", 3),
    ('=XLOOKUP("Banana",E1:E5,G1:G5)', 200), ('=XLOOKUP("Zed",E1:E5,G1:G5)', Err("#N/A")),
    ('=XLOOKUP("Zed",E1:E5,G1:G5,"none")', "none"), ("=XLOOKUP(750,H1:H5,I1:I5,,-1)", "C"),
    ("=XLOOKUP(750,H1:H5,I1:I5,,1)", "B"), ('=XLOOKUP("B*",E1:E5,F1:F5,,2)', 0.25),
    ('=XLOOKUP("Banana",E1:E5,F1:F4)', Err("#VALUE!")),
    ('=IFERROR(INDEX(G1:G5,MATCH("Cherry",E1:E5,0))*2,0)', 600),
    ('=UPPER(LEFT(VLOOKUP(2,{1,"alpha";2,"beta"},2,FALSE),2))', "BE"),
    # SUMPRODUCT
    ("=SUMPRODUCT(B1:B3,A1:A3)", 140), ('=SUMPRODUCT((K1:K6="East")*L1:L6)', 900),
    ("=SUMPRODUCT(B1:B3,B1:B2)", Err("#VALUE!")), ("=SUMPRODUCT(A1:A5,B1:B5)", 140),
    # criteria functions
    ('=SUMIF(K1:K6,"East",L1:L6)', 900), ('=SUMIF(L1:L6,">300")', 1500), ('=SUMIF(K1:K6,"<>East",L1:L6)', 1200),
    ('=SUMIF(K1:K6,"e*",L1:L6)', 900), ('=SUMIF(K1:K6,"Nowhere",L1:L6)', 0), ('=SUMIF(K1:K6,"east",L1:L6)', 900),
    ('=SUMIFS(L1:L6,K1:K6,"East",L1:L6,">=300")', 800), ('=SUMIFS(L1:L6,K1:K6,"West",L1:L5,">0")', Err("#VALUE!")),
    ('=COUNTIF(K1:K6,"East")', 3), ('=COUNTIF(L1:L6,">="&400)', 3), ('=COUNTIF(A1:A5,"")', 1),
    ('=COUNTIF(A1:A5,"<>")', 4), ('=COUNTIF(K1:K6,"?est")', 2), ('=COUNTIFS(K1:K6,"East",L1:L6,">100")', 2),
    ('=AVERAGEIF(K1:K6,"West",L1:L6)', 400), ('=AVERAGEIF(K1:K6,"Nowhere",L1:L6)', Err("#DIV/0!")),
    ('=AVERAGEIFS(L1:L6,K1:K6,"East",L1:L6,"<500")', 200),
    ('=ROUND(SUMIF(K1:K6,"East",L1:L6)/COUNTIF(K1:K6,"East"),2)', 300),
    # dates
    ("=DATE(2008,1,1)", 39448), ("=DATE(108,1,2)", 39449), ("=DATE(2008,14,2)", 39846), ("=DATE(2008,1,35)", 39482),
    ("=DATE(2008,1,-15)", 39432), ("=YEAR(39448)", 2008), ("=MONTH(DATE(2026,3,15))", 3), ("=DAY(DATE(2026,3,15))", 15),
    ("=EOMONTH(DATE(2011,1,1),1)", 40602), ("=EOMONTH(DATE(2011,1,1),-3)", 40482), ('=EOMONTH("2026-02-10",0)', 46081),
    ("=DAY(EOMONTH(DATE(2024,2,1),0))", 29), ("=TODAY()", TODAY), ("=YEAR(TODAY())", 2026),
    ("=DATE(2026,1,31)-DATE(2026,1,1)", 30), ('=YEAR("abc")', Err("#VALUE!")),
    # TEXT and text functions
    ('=TEXT(DATE(2026,1,31),"yyyy-mm-dd")', "2026-01-31"), ('=TEXT(1234.567,"$#,##0.00")', "$1,234.57"),
    ('=TEXT(0.285,"0.0%")', "28.5%"), ('=TEXT(1234.567,"#,##0")', "1,235"),
    ('=TEXT(DATE(2026,3,4),"mmm d, yyyy")', "Mar 4, 2026"), ('=TEXT(DATE(2026,3,4),"dddd")', "Wednesday"),
    ('=TEXT(5,"000")', "005"), ('=TEXT("abc","0.00")', "abc"), ('=LEN(TEXT(DATE(2026,12,25),"mmmm"))', 8),
    ('=IF(SUM(B1:B5)>10,TEXT(AVERAGE(B1:B5),"0.0"),"low")', "3.0"),
    ('=CONCAT("a",B1:B3,"z")', "a123z"), ('=CONCATENATE("Total: ",SUM(B1:B2))', "Total: 3"),
    ('=TEXTJOIN(", ",TRUE,"a","","b")', "a, b"), ('=TEXTJOIN("-",FALSE,"a","","b")', "a--b"),
    ('=TEXTJOIN(",",TRUE,A1:A5)', "10,20,30,abc"),
    ('=LEFT("Sale Price",4)', "Sale"), ('=LEFT("Sweden")', "S"), ('=RIGHT("Sale Price",5)', "Price"),
    ('=MID("Fluid Flow",1,5)', "Fluid"), ('=MID("Fluid Flow",7,20)', "Flow"), ('=MID("Fluid Flow",20,5)', ""),
    ('=MID("abc",0,1)', Err("#VALUE!")), ('=LEN("Phoenix, AZ")', 11), ('=LEN("")', 0), ("=LEN(B1)", 1),
    ('=TRIM("  First Quarter   Earnings  ")', "First Quarter Earnings"), ('=UPPER("total")', "TOTAL"),
    ('=LOWER("E. E. Cummings")', "e. e. cummings"), ('=SUBSTITUTE("Sales Data","Sales","Cost")', "Cost Data"),
    ('=SUBSTITUTE("Quarter 1, 2008","1","2",1)', "Quarter 2, 2008"),
    ('=SUBSTITUTE("Quarter 1, 2011","1","2",3)', "Quarter 1, 2012"),
    ('=VALUE("$1,000")', 1000), ('=VALUE("abc")', Err("#VALUE!")), ('=VALUE("10%")', 0.1),
    ("=LEFT(123.45,3)", "123"), ('=LEFT("abc",-1)', Err("#VALUE!")), ("=UPPER(C3)", Err("#DIV/0!")),
    # error values and names
    ("=FOO(1)", Err("#NAME?")), ("=SUMM(A1:A3)", Err("#NAME?")), ("=undefined_name+1", Err("#NAME?")),
    ("=#N/A", Err("#N/A")), ("=NA()", Err("#N/A")),
    # cross-sheet references
    ("='Jan 2026'!A1+'Jan 2026'!B1", 300), ("=SUM('Jan 2026'!A1:B1)", 300), ("='It''s'!A1*2", 14),
    ("=Missing!A1", Err("#REF!")), ("='jan 2026'!A1", 100),
    ("=SUM(B1:B5)/COUNT(B1:B5)=AVERAGE(B1:B5)", True),
]


def _cell(name: str) -> tuple[int, int]:
    from mock_apps.sheets.formula.references import parse_a1
    ref = parse_a1(name)
    return ref.r1, ref.c1


@pytest.fixture(scope="module")
def evaluated() -> dict[int, object]:
    engine = Engine(lambda: TODAY)
    engine.add_sheet("data", "Data")
    cells = [("data", *_cell(a1), raw) for a1, raw in DATA.items()]
    for i, (name, content) in enumerate(OTHER_SHEETS.items()):
        engine.add_sheet(f"s{i}", name)
        cells += [(f"s{i}", *_cell(a1), raw) for a1, raw in content.items()]
    # Formulas live far below the data, in column Z (26), so they never fall inside a data range.
    cells += [("data", 100 + i, 26, formula) for i, (formula, _) in enumerate(TABLE)]
    engine.load(cells)
    return {i: engine.value(("data", 100 + i, 26)) for i in range(len(TABLE))}


def test_table_is_large_enough() -> None:
    assert len(TABLE) >= 150


@pytest.mark.parametrize("index", range(len(TABLE)), ids=[f for f, _ in TABLE])
def test_formula(evaluated: dict[int, object], index: int) -> None:
    formula, expected = TABLE[index]
    got = evaluated[index]
    if isinstance(expected, Err):
        assert isinstance(got, ExcelError) and got.code == expected.code, f"{formula} gave {got!r}"
    elif isinstance(expected, bool):
        assert got is expected, f"{formula} gave {got!r}"
    elif isinstance(expected, (int, float)):
        assert type(got) is float and math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-12), f"{formula} gave {got!r}"
    else:
        assert got == expected, f"{formula} gave {got!r}"
