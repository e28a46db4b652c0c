import doctest

import pytest

from lawqa.common import numerals
from lawqa.common.numerals import cn_to_int


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("一千零三十八", 1038, id="thousands-with-zero"),
        pytest.param("十", 10, id="bare-ten"),
        pytest.param("十二", 12, id="teen"),
        pytest.param("二百六十四", 264, id="hundreds"),
        pytest.param("一千二百六十", 1260, id="civil-code-last"),
        pytest.param("1079", 1079, id="arabic"),
        pytest.param("１０７９", 1079, id="full-width"),
        pytest.param("一〇七九", 1079, id="digit-by-digit"),
        pytest.param("两百", 200, id="liang"),
    ],
)
def test_cn_to_int_reads_article_numbers(text, expected):
    assert cn_to_int(text) == expected


def test_cn_to_int_strict_refuses_non_numerals():
    with pytest.raises(ValueError, match="not a numeral"):
        cn_to_int("第三条", strict=True)


def test_numerals_doctests_pass():
    assert doctest.testmod(numerals).failed == 0
