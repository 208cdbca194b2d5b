"""Writing under a heading: past sentences adapted, paragraphs assembled, stock alternatives."""
