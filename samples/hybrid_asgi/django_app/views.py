from django.shortcuts import render

from .models import Prediction


# --8<-- [start:main]
def recent_predictions(request):
    """An ordinary Django page over the rows the FastAPI side writes."""
    return render(request, "django_app/predictions.html", {"predictions": Prediction.objects.all()[:50]})


# --8<-- [end:main]
