"""A statistical second opinion on the rule-based cleaner (``features``: what it sees of a line; ``model``: the
stored model, the pipeline step and the last gate; ``train``: how the model is rebuilt from the dev gold)."""
