from django.db import models


# --8<-- [start:main]
class Prediction(models.Model):
    text = models.TextField()
    label = models.CharField(max_length=20)
    score = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.text[:40]}"


# --8<-- [end:main]
