app_name = "innoscheck"
urlpatterns: list = []
