from newsprism.bench.annotate import format_table, time_texts


def test_time_texts_pairs_parse_and_layers_on_every_text():
    texts = ["Mayor Ana Ruiz said on Monday that the bridge would reopen.", "Nothing happened here."]
    figures = time_texts(texts, "test")
    assert figures["articles"] == 2
    assert figures["chars"] == sum(map(len, texts))
    assert figures["parse_s"] > 0 and figures["layers_s"] > 0
    assert "| test | 2 |" in format_table({"test": figures})
