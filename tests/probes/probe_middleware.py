"""A middleware that can only run synchronously, for the Django async-handlers probe."""


class SyncOnly:
    sync_capable = True
    async_capable = False

    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request):  # noqa: ANN001, ANN204
        return self.get_response(request)
