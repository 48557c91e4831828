"""What a run or a study found: the documents renderers read (no engine, no drawing)."""
