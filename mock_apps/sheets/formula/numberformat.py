"""Excel number formats: what TEXT() and FORMATTED_VALUE show for a value ("$#,##0.00", "0%", "yyyy-mm-dd")."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from .dates import DAY_NAMES, MONTH_NAMES, serial_to_date, serial_to_ymd
from .errors import ExcelError
from .values import Value, format_general

_DATE_TOKEN = re.compile(
    r'"[^"]*"|\\.|\[[^\]]*\]|yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|\.0+|.',
    re.IGNORECASE,
)
_HAS_DATE = re.compile(r"[ymdhs]", re.IGNORECASE)


def round_half_up(x: float, digits: int) -> float:
    """Round like Excel's ROUND: half away from zero, on the decimal value people see."""
    d = Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return float(d)


def _split_sections(fmt: str) -> list[str]:
    out, cur, quoted, i = [], "", False, 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "\\" and i + 1 < len(fmt) and not quoted:
            cur += fmt[i:i + 2]
            i += 2
            continue
        elif ch == ";" and not quoted:
            out.append(cur)
            cur = ""
            i += 1
            continue
        cur += ch
        i += 1
    out.append(cur)
    return out


def _strip_unquoted(section: str) -> str:
    return re.sub(r'"[^"]*"|\\.', "", section)


def is_date_format(fmt: str) -> bool:
    """True when a format shows dates or times."""
    body = re.sub(r"\[[^\]]*\]", "", _strip_unquoted(fmt))
    return bool(_HAS_DATE.search(body)) and "general" not in body.lower()


def format_value(value: Value, fmt: str | None) -> str:
    """A cell value as the format displays it."""
    if value is None:
        return ""
    if isinstance(value, ExcelError):
        return value.code
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        if fmt:
            sections = _split_sections(fmt)
            if len(sections) >= 4 and "@" in sections[3]:
                return _literal(sections[3]).replace("@", value)
        return value
    if not fmt or fmt.lower() == "general":
        return format_general(float(value))
    return format_number(float(value), fmt)


def format_number(x: float, fmt: str) -> str:
    """A number under an Excel format string."""
    sections = _split_sections(fmt)
    if len(sections) == 1:
        section, neg_sign = sections[0], x < 0
    elif x > 0 or (x == 0 and len(sections) < 3):
        section, neg_sign = sections[0], False
    elif x < 0:
        section, neg_sign = sections[1], False
        x = -x if sections[1] else x
    else:
        section, neg_sign = sections[2], False
    if section.strip().lower() == "general" or section == "":
        body = format_general(abs(x) if not neg_sign and x < 0 else x)
        return body
    section = re.sub(r"\[(Red|Black|Blue|Green|White|Yellow|Cyan|Magenta|Color\d+)\]", "", section, flags=re.I)
    if is_date_format(section):
        return _format_date(x, section)
    out = _format_plain(abs(x) if neg_sign else x, section)
    if neg_sign and any(ch.isdigit() and ch != "0" for ch in out):
        return "-" + out
    return out


def _literal(section: str) -> str:
    out, i = "", 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            j = section.index('"', i + 1) if '"' in section[i + 1:] else len(section)
            out += section[i + 1:j]
            i = j + 1
            continue
        if ch == "\\" and i + 1 < len(section):
            out += section[i + 1]
            i += 2
            continue
        if ch in "_*":
            out += " " if ch == "_" else ""
            i += 2
            continue
        out += ch
        i += 1
    return out


@lru_cache(maxsize=512)
def _analyze(section: str) -> tuple[str, str, int, int, int, bool, bool, str | None]:
    """(prefix, suffix, int_min_digits, decimals, min_decimals, grouping, percent, exponent)."""
    prefix, suffix = "", ""
    pattern = ""
    i, seen_placeholder, done = 0, False, False
    percent = False
    exponent = None
    while i < len(section):
        ch = section[i]
        lit = None
        if ch == '"':
            j = section.find('"', i + 1)
            j = len(section) if j < 0 else j
            lit, i = section[i + 1:j], j + 1
        elif ch == "\\" and i + 1 < len(section):
            lit, i = section[i + 1], i + 2
        elif ch == "_" and i + 1 < len(section):
            lit, i = " ", i + 2
        elif ch == "*" and i + 1 < len(section):
            lit, i = "", i + 2
        elif ch in "0#?" and not done:
            pattern += ch
            seen_placeholder = True
            i += 1
            continue
        elif ch in ".," and seen_placeholder and not done:
            pattern += ch
            i += 1
            continue
        elif ch == "." and not seen_placeholder and i + 1 < len(section) and section[i + 1] in "0#?":
            pattern += ch
            seen_placeholder = True
            i += 1
            continue
        elif ch in "Ee" and seen_placeholder and i + 1 < len(section) and section[i + 1] in "+-":
            m = re.match(r"[Ee][+-][0#]+", section[i:])
            if m:
                exponent = m.group()
                i += len(exponent)
                done = True
                continue
            lit, i = ch, i + 1
        else:
            if ch == "%":
                percent = True
            lit, i = ch, i + 1
        if lit is not None:
            if seen_placeholder:
                done = True
                suffix += lit
            else:
                prefix += lit
    int_part, _, dec_part = pattern.partition(".")
    grouping = "," in int_part.strip(",") or ("," in int_part and not int_part.endswith(","))
    int_min = int_part.count("0")
    decimals = sum(dec_part.count(c) for c in "0#?")
    min_dec = len(dec_part.replace(",", "").rstrip("#"))
    return prefix, suffix, int_min, decimals, min_dec, grouping, percent, exponent


def _format_plain(x: float, section: str) -> str:
    prefix, suffix, int_min, decimals, min_dec, grouping, percent, exponent = _analyze(section)
    if percent:
        x *= 100
    if exponent:
        if x == 0:
            exp = 0
        else:
            exp = int(f"{x:e}".split("e")[1])
        mant = x / (10 ** exp) if x else 0.0
        mant = round_half_up(mant, decimals)
        if abs(mant) >= 10:
            mant /= 10
            exp += 1
        body = _digits(mant, max(int_min, 1), decimals, min_dec, False)
        digits = len(exponent) - 2
        sign = "-" if exp < 0 else ("+" if exponent[1] == "+" else "")
        return prefix + body + "E" + sign + str(abs(exp)).rjust(digits, "0") + suffix
    return prefix + _digits(x, int_min, decimals, min_dec, grouping) + suffix


def _digits(x: float, int_min: int, decimals: int, min_dec: int, grouping: bool) -> str:
    neg = x < 0
    d = Decimal(repr(abs(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    ip, _, fp = f"{d:f}".partition(".")
    if int(ip) == 0 and int_min == 0:
        ip = ""
    elif grouping:
        ip = f"{int(ip):,}"
    ip = ip.rjust(int_min, "0")
    out = ip
    if decimals:
        out += "." + fp.rstrip("0").ljust(min_dec, "0")
    return ("-" if neg else "") + out


def _format_date(x: float, section: str) -> str:
    tokens = _DATE_TOKEN.findall(section)
    y, mo, d = serial_to_ymd(x)
    frac = x - int(x)
    secs_total = int(round(frac * 86400))
    hh, rem = divmod(secs_total, 3600)
    mi, ss = divmod(rem, 60)
    ampm = any(t.lower() in ("am/pm", "a/p") for t in tokens)
    kinds = [t.lower() for t in tokens]
    out = []
    for idx, t in enumerate(tokens):
        low = kinds[idx]
        if t.startswith('"'):
            out.append(t[1:-1])
        elif t.startswith("\\"):
            out.append(t[1:])
        elif t.startswith("["):
            inner = t[1:-1].lower()
            if inner in ("h", "hh"):
                out.append(str(int(x * 24)))
            continue
        elif low == "yyyy":
            out.append(str(y).rjust(4, "0"))
        elif low == "yy":
            out.append(str(y % 100).rjust(2, "0"))
        elif low in ("m", "mm"):
            prev = next((k for k in reversed(kinds[:idx]) if k[0] in "hsymd"), "")
            nxt = next((k for k in kinds[idx + 1:] if k[0] in "hsymd"), "")
            if prev.startswith("h") or nxt.startswith("s"):
                out.append(str(mi).rjust(len(low), "0"))
            else:
                out.append(str(mo).rjust(len(low), "0"))
        elif low == "mmm":
            out.append(MONTH_NAMES[mo - 1][:3])
        elif low == "mmmm":
            out.append(MONTH_NAMES[mo - 1])
        elif low == "mmmmm":
            out.append(MONTH_NAMES[mo - 1][0])
        elif low in ("d", "dd"):
            out.append(str(d).rjust(len(low), "0"))
        elif low in ("ddd", "dddd"):
            wd = serial_to_date(x).weekday() if int(x) != 60 else 2
            out.append(DAY_NAMES[wd][:3] if low == "ddd" else DAY_NAMES[wd])
        elif low in ("h", "hh"):
            h = hh % 12 or 12 if ampm else hh
            out.append(str(h).rjust(len(low), "0"))
        elif low in ("s", "ss"):
            out.append(str(ss).rjust(len(low), "0"))
        elif low == "am/pm":
            out.append("AM" if hh < 12 else "PM")
        elif low == "a/p":
            out.append("A" if hh < 12 else "P")
        else:
            out.append(t)
    return "".join(out)
