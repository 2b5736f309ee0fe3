"""Sheets: a spreadsheet app with Excel formula semantics and a Google Sheets API v4 subset."""
