"""The calendar address's secret token never reaches the access log: a real Werkzeug server serves the
feed and its request line is logged with the token replaced."""

from __future__ import annotations

import logging
import re
import threading
import urllib.request

from werkzeug.serving import make_server

from tests.conftest import csrf_from, login


def test_the_calendar_token_is_redacted_in_the_werkzeug_access_log(app, client, make_user, govs, caplog):
    make_user("equipo@huanuco.pe", ("team", govs["huanuco"]))
    login(client, "equipo@huanuco.pe")
    page = client.post("/plazos/calendario", data={"csrf_token": csrf_from(client, "/perfil"), "action": "create"})
    path = re.search(r"http://localhost(/plazos/(cal_[^\s\"<]+)\.ics)", page.get_data(as_text=True))
    feed_path, token = path.group(1), path.group(2)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{feed_path}", timeout=30) as response:
                assert response.status == 200 and b"BEGIN:VCALENDAR" in response.read()
            for _ in range(100):  # the handler logs right after answering
                if any(r.name == "werkzeug" and ".ics" in r.getMessage() for r in caplog.records):
                    break
                threading.Event().wait(0.05)
    finally:
        server.shutdown()
        thread.join(5)
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug" and ".ics" in r.getMessage()]
    assert lines, [r.getMessage() for r in caplog.records]
    assert all(token not in line for line in lines)
    assert "GET /plazos/[oculto].ics" in lines[0] and " 200 " in lines[0]


def test_gunicorn_access_lines_are_redacted_too(app, caplog):
    logger = logging.getLogger("gunicorn.access")
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        # gunicorn formats its access line from a dict of atoms
        atoms = {"h": "10.0.0.1", "r": "GET /plazos/cal_SECRETO123.ics HTTP/1.1", "s": "200"}
        logger.info('%(h)s "%(r)s" %(s)s', atoms)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "gunicorn.access"]
    assert line == '10.0.0.1 "GET /plazos/[oculto].ics HTTP/1.1" 200'
