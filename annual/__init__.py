"""The consolidated annual report: its text, and the files generated from it."""
