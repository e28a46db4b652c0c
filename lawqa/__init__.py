"""法问 LawQA."""
