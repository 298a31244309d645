"""The receipt: the CV link explained with its real lifetime, and a log-out that ends it all."""

import re

from renderers.html.views import CV_WINDOW
from tests.conftest import csrf_token
from tests.test_pdf import submit_as_the_person


def test_log_out_from_the_receipt_ends_the_receipt_and_the_cv_link(app, runner):
    client = app.test_client()
    submit_as_the_person(client, runner, app, lang="uk")
    arabic = client.get("/ar/form/receipt").text
    assert '<html lang="ar" dir="rtl">' in arabic
    assert 'action="/ar/logout"' in arabic and "تسجيل الخروج" in arabic
    receipt = client.get("/en/form/receipt").text
    minutes = int(CV_WINDOW.total_seconds() // 60)
    assert f"The download works for {minutes} minutes after you sent the answers" in receipt
    assert "A CV is a short document about your education" in receipt
    form = re.search(r'<form method="post" action="/en/logout" class="receipt-logout">', receipt)
    assert form and "Log out</span></button>" in receipt
    assert client.post("/en/logout").status_code == 400  # no CSRF token
    assert client.get("/en/form/cv.pdf").status_code == 200
    response = client.post("/en/logout", data={"csrf_token": csrf_token(receipt)})
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/en/form/cv.pdf").location.endswith("/en/login")
    assert client.get("/en/form/receipt").location.endswith("/en/login")
