"""Mock Gmail, Slack, Sheets, QuickBooks and Workday apps for recording and replaying multistep agent trajectories."""

import os

# The app packages this distribution serves, in port order (base port + 1, + 2, ...). The core reads this list
# and each package's SPEC; it names no app itself. Adding an app is a package and its name here.
APPS = ("mail", "chat", "sheets", "books", "people")

# openpyxl writes other (equally valid) XLSX bytes when lxml is importable, and lxml comes and goes with
# optional extras (BrowserGym's); the scenario's XLSX attachments must be the same bytes on every machine,
# or recorded final states stop matching. It is read once, when openpyxl is first imported.
os.environ["OPENPYXL_LXML"] = "False"
