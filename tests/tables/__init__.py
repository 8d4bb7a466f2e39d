"""Reading tables from text PDFs: rules, rows, cells, headers and tables continued over pages;
generated corpora (variety, layout matrix, browser and spreadsheet prints, bank statements) and
real prints (sample corpus, Công báo, Lâm Đồng, camelot and ICDAR expectations) against their truth."""
