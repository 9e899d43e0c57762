// Starts Swagger UI on the API's docs page with the settings the page carries as JSON; a file,
// not an inline script, so that the Content-Security-Policy (script-src 'self') allows it.
document.addEventListener("DOMContentLoaded", function () {
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  settings.presets = [SwaggerUIBundle.presets.apis];
  settings.layout = "BaseLayout";
  window.ui = SwaggerUIBundle(settings);
});
