from django.http import HttpResponse


def bench_bare(request):
    """A fixed text through the whole middleware stack: the load benchmark's ceiling for this stack.

    Routed only when the BENCH_BARE_VIEW setting is on (bench/load.py turns it on).
    """
    return HttpResponse("ok", content_type="text/plain")
