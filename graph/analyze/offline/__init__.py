"""The analyzer that needs no model: cue phrases find each section of the report in the ranked evidence."""
