"""gunicorn settings for one LawQA web node: `gunicorn -c deploy/gunicorn.conf.py lawqa.wsgi`.

Everything is read from the environment (the node's env file under /etc/lawqa/), so every node
runs the same file: LAWQA_BIND (address:port of this node), LAWQA_WEB_WORKERS, LAWQA_WEB_THREADS.
"""

import os

bind = os.environ.get("LAWQA_BIND", "127.0.0.1:8001")
# Threaded workers: a page waits mostly on PostgreSQL and Redis, and tantivy searches release the GIL.
worker_class = "gthread"
workers = int(os.environ.get("LAWQA_WEB_WORKERS", "2"))
threads = int(os.environ.get("LAWQA_WEB_THREADS", "4"))
# A request slower than this is killed and logged; pages answer in tens of milliseconds.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that slow growth in memory never accumulates.
max_requests = 5000
max_requests_jitter = 500
# No access log: search URLs carry what people typed about their legal trouble (privacy policy).
accesslog = None
errorlog = "-"
loglevel = "info"
# The reverse proxy on this host sets X-Forwarded-Proto; only it is trusted.
forwarded_allow_ips = "127.0.0.1,::1"
proc_name = f"lawqa-web-{os.environ.get('LAWQA_NODE_NAME', 'node')}"
# gunicorn's control socket defaults to one path in the user's home: two nodes of one user would
# share it (and systemd's ProtectHome hides it). Nodes are managed by systemd signals instead.
control_socket_disable = True
