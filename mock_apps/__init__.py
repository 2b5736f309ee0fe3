"""Mock Gmail, Slack, Sheets and QuickBooks apps for recording and replaying multistep agent trajectories."""

import os

# openpyxl writes other (equally valid) XLSX bytes when lxml is importable, and lxml comes and goes with
# optional extras (BrowserGym's); the scenario's XLSX attachments must be the same bytes on every machine,
# or recorded final states stop matching. It is read once, when openpyxl is first imported.
os.environ["OPENPYXL_LXML"] = "False"
