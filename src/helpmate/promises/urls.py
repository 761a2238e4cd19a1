from django.urls import URLPattern, URLResolver, path

from helpmate.promises import report_views, views

app_name = "promises"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/keep/", views.keep, name="keep"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/delay/", views.delay_notice, name="delay"),
    path("report/", report_views.report, name="report"),
    path("report.csv", report_views.report_csv, name="report_csv"),
    path("report/targets/", report_views.report_targets, name="report_targets"),
]
