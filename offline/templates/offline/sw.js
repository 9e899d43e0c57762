{% load static %}// The service worker of the installed web app. Workbox's modules come from npm (package.json),
// served as our own static files: nothing from another site (the CSP and a closed network).
importScripts(
  "{% static 'vendor/workbox-core/workbox-core.prod.js' %}",
  "{% static 'vendor/workbox-routing/workbox-routing.prod.js' %}",
  "{% static 'vendor/workbox-strategies/workbox-strategies.prod.js' %}",
  "{% static 'vendor/workbox-range-requests/workbox-range-requests.prod.js' %}",
  "{% static 'js/offline-sw.js' %}"
);
