"""What the cells mean: agencies, dates, deadlines, statuses, OCR repair, column roles, stated task
counts, same-task links, duplicates, tracking, and the curated tables' schema and values."""
