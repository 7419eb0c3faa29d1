"""Reading a plan from the document the province already has (Word, PDF, Excel, pasted text).

`parse_file` turns a file into a `Proposal`: an interchange dict (the format
`planning.interchange.import_plan` loads) plus flags for everything a person should check.
Nothing is saved: a review step decides what to import.
"""
