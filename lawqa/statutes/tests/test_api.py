def test_api_check_returns_statuses(client, statutes):
    response = client.post(
        "/api/v1/laws/check",
        {"text": "《民法典》第一千零三十八条，《婚姻法》第三十二条"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [(c["law"], c["article"], c["status"]) for c in response.json()] == [
        ("民法典", 1038, "ok"),
        ("婚姻法", 32, "repealed"),
    ]


def test_api_article(client, statutes):
    response = client.get("/api/v1/laws/刑法/133-1")
    assert response.json()["label"] == "第一百三十三条之一"
    assert client.get("/api/v1/laws/刑法/abc").status_code == 404
