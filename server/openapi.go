package server

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPI is the OpenAPI 3 document of the API. A test checks that it
// documents every route of the router and nothing else.
//
//go:embed openapi.json
var openAPI []byte

// serveOpenAPI serves GET /api/openapi.json.
func serveOpenAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/json; charset=utf-8", openAPI)
}
