"""gunicorn settings for Articula (``gunicorn -c gunicorn.conf.py "core.app:create_app()"``).

The worker timeout must stay above the app's render limit (DOCUMENT_RENDER_TIMEOUT, 30 s by
default, queue wait included): the app checks SERVER_TIMEOUT against it at start-up, so keep
ARTICULA_SERVER_TIMEOUT equal to ``timeout`` here. Large documents never wait in a request:
they go to the background-job consumer (``articula jobs worker``), a separate service.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
timeout = int(os.environ.get("ARTICULA_SERVER_TIMEOUT", "60"))
graceful_timeout = 30
