from django.urls import path

from glossary import views

app_name = "glossary"

urlpatterns = [
    path("", views.home, name="home"),
    path("concepts/<slug:uid>/", views.concept_detail, name="concept"),
]
