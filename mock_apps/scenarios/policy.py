"""The expense policy every scenario's company shares: the meal limit and People's expense items."""

from mock_apps.scenarios.facts import ExpenseItemType

MEAL_LIMIT_CENTS = 7_500  # the expense policy: meals up to $75.00 per person

EXPENSE_ITEMS = (
    ExpenseItemType("airfare", "Airfare", "Travel", 60_000),
    ExpenseItemType("hotel", "Hotel", "Travel", 25_000),
    ExpenseItemType("meals", "Meals", "Meals", MEAL_LIMIT_CENTS, per_person=True),
    ExpenseItemType("mileage", "Mileage", "Travel"),
    ExpenseItemType("fuel", "Fuel", "Travel"),
    ExpenseItemType("parking", "Parking and Tolls", "Travel"),
    ExpenseItemType("rideshare", "Taxi and Rideshare", "Travel"),
    ExpenseItemType("supplies", "Office Supplies", "Office Supplies"),
    ExpenseItemType("equipment", "Equipment", "Office Supplies", 50_000),
    ExpenseItemType("software", "Software", "Software Subscriptions"),
    ExpenseItemType("alcohol", "Alcohol", "Meals", alcohol=True),
)
# the expense item of a card charge mailed as an expense report, by its Books account
ACCOUNT_ITEM = {"Travel": "airfare", "Meals": "meals", "Office Supplies": "supplies"}
