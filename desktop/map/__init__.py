"""The Mapa tab: an offline Folium map of beats and threat reports.

Qt-free modules here build the page, its data and its assets; ``ui/`` holds the web view,
the custom URL scheme, the request interceptor, the QWebChannel bridge and the filters.
"""
