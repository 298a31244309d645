"""The baseline of the load test: GET /healthz without pause, the app's cheapest request."""

from locust import HttpUser, constant, task


class Minimal(HttpUser):
    wait_time = constant(0)

    @task
    def health(self):
        self.client.get("/healthz", name="healthz")
