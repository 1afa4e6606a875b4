HEADERS = {"Authorization": "Basic <<ward:SEC-211>>"}
