"""Opening PDF files and reading their pages and words: damaged and hostile files, page objects,
words grouped into lines, a failure of ours told apart from a damaged file."""
