"""gunicorn settings for `make serve` (engine/app/serve.py passes bind, workers and threads).

gthread workers: a worker's threads run requests, while idle keep-alive connections wait in
the worker's poller without holding a thread. Each worker keeps up to `worker_connections`
open connections and the kernel queues `backlog` more, so a busy morning (hundreds of
respondents at once) queues for a moment instead of being turned away, unlike waitress's
default limit of 100 connections.
"""

worker_class = "gthread"
worker_connections = 1000
backlog = 2048
keepalive = 5  # seconds: longer than a proxy's reuse gap, short enough to free idle sockets
timeout = 60  # a worker silent this long (a stuck request) is restarted
graceful_timeout = 30
max_requests = 10000  # workers are stateless, so recycling one in a while costs nothing
max_requests_jitter = 1000
# The access log names no client address and no query string: only method, path, status,
# size and time. Paths carry no personal data (identifiers and codes are only ever posted).
accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# No control socket: its one default path per user would be shared by every gunicorn on a host.
control_socket_disable = True
