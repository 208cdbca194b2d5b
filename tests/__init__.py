import pytest

# Shared helpers assert too: have pytest rewrite their asserts, as it does in test modules, for the same failure
# messages as when the helpers lived in test modules. Must run before tests.helpers is imported.
pytest.register_assert_rewrite("tests.helpers")
