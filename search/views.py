from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .services import MIN_LENGTH, search


@login_required
def search_page(request):
    query = request.GET.get("q", "")
    return render(
        request,
        "search/results.html",
        {"results": search(user=request.user, query=query), "min_length": MIN_LENGTH},
    )
