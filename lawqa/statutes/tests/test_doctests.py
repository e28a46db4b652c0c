import doctest

import pytest

from lawqa.statutes import citations, library


@pytest.mark.parametrize("module", [citations, library], ids=["citations", "library"])
def test_pure_module_doctests_pass(module):
    result = doctest.testmod(module)
    assert (result.attempted > 0, result.failed) == (True, 0)
