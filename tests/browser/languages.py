"""The languages the script and layout tests in Chromium go through, one of each kind.

Ukrainian and Russian (Cyrillic), Arabic and Sorani (Arabic script, right to left, Sorani's
own letters), Tigrinya and Amharic (Ge'ez) and Norwegian (Latin with å æ ø). Add a language here
and every such test covers it.
"""

SCRIPT_LANGUAGES = ("uk", "ru", "ar", "ckb", "ti", "am", "nb")
