from requests.auth import HTTPBasicAuth
from odata import ODataService
from tests.odata_helpers import seed, feed_token, serving

def test_smoke(app):
    app.config["KOMPASS_ODATA_PAGE_SIZE"] = 10
    seed(app, 25)
    text = feed_token(app, "ana", ["analytiker"])
    with serving(app) as base:
        service = ODataService(f"{base}/odata/kompass/v1/", auth=HTTPBasicAuth("feed", text), reflect_entities=True, quiet_progress=True)
        print(service.entities.keys())
        R = service.entities["responses"]
        print([p for p in dir(R) if not p.startswith("__")][:80])
        rows = list(service.query(R))
        print(len(rows), rows[0], vars(rows[0]) if hasattr(rows[0], "__dict__") else None)
        print(R.__odata_schema__ if hasattr(R, "__odata_schema__") else "")
        q = service.query(R).filter(R.municipality == "4601")
        print(q.as_string() if hasattr(q,'as_string') else q)
        print(len(list(q)))
    assert 0
