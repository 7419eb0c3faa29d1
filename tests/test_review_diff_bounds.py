"""The review page's diff stays bounded for long resubmissions: past WORD_DIFF_MAX_WORDS words
it compares lines, and a text of more lines than LINE_DIFF_MAX_LINES is shown whole."""

from __future__ import annotations

from reports.review import LINE_DIFF_MAX_LINES, WORD_DIFF_MAX_WORDS, word_diff


def test_a_short_text_is_compared_word_by_word():
    assert str(word_diff("đào tạo 100 lao động", "đào tạo 120 lao động")) == (
        "đào tạo <del>100</del> <ins>120</ins> lao động"
    )


def test_a_long_text_is_compared_line_by_line():
    lines = [f"Dòng {n}: kết quả thực hiện nhiệm vụ số {n} trong năm" for n in range(6000)]
    assert sum(len(line.split()) for line in lines) > WORD_DIFF_MAX_WORDS
    changed = list(lines)
    changed[10] = "Dòng 10: kết quả thực hiện nhiệm vụ số 10 trong năm 2026 & hơn"
    html = str(word_diff("\n".join(lines[:LINE_DIFF_MAX_LINES]), "\n".join(changed[:5000])))
    # the whole changed line is marked, not the one added word
    assert "<del>Dòng 10: kết quả thực hiện nhiệm vụ số 10 trong năm</del>" in html
    assert "<ins>Dòng 10: kết quả thực hiện nhiệm vụ số 10 trong năm 2026 &amp; hơn</ins>" in html
    assert "<del>Dòng 11" not in html and "Dòng 11: kết quả" in html


def test_sixty_thousand_words_on_one_line_are_shown_whole_struck_and_inserted():
    old = " ".join(f"từ{n}" for n in range(60_000))
    new = old.replace("từ30000", "<từ mới>")
    html = str(word_diff(old, new))
    assert html.startswith("<del>từ0 từ1") and "<ins>" in html
    assert "&lt;từ mới&gt;" in html
    assert str(word_diff(old, old)).startswith("từ0 từ1")
