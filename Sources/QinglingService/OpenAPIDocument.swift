/// The API's OpenAPI 3.1 document, served at `GET /api/v1/openapi.json` (without a session, like
/// `/healthz`: it describes, it reveals no data). Written by hand beside `docs/api.md`; a test
/// checks that its paths and methods are exactly the router's.
enum OpenAPIDocument {
    static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Qingling service",
        "version": "1.0.0",
        "description": "The hazard ledger for signed-in accounts: docs/api.md. Every answer but healthz, login and this document needs a session (bearer token or cookie with X-CSRF-Token for writes). Errors: {error, message, problems[]}."
      },
      "components": {
        "securitySchemes": {
          "bearer": {"type": "http", "scheme": "bearer"},
          "cookie": {"type": "apiKey", "in": "cookie", "name": "qingling_session"}
        },
        "schemas": {
          "Error": {
            "type": "object",
            "required": ["error", "message", "problems"],
            "properties": {
              "error": {"type": "string"},
              "message": {"type": "string"},
              "problems": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}}
            }
          },
          "Problem": {
            "type": "object",
            "required": ["rule", "message"],
            "properties": {
              "index": {"type": "integer"},
              "eventId": {"type": "string"},
              "rule": {"type": "string"},
              "message": {"type": "string"}
            }
          },
          "Identity": {
            "type": "object",
            "required": ["login", "role", "organization", "person"],
            "properties": {
              "login": {"type": "string"},
              "role": {"enum": ["enterprise", "town", "department", "committee", "analyst", "archivist"]},
              "organization": {"type": "object", "properties": {"kind": {"type": "string"}, "id": {"type": "string"}, "name": {"type": "string"}}},
              "person": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
              "token": {"type": "string"},
              "csrfToken": {"type": "string"}
            }
          },
          "Appended": {
            "type": "object",
            "required": ["appended", "alreadyInLog"],
            "properties": {
              "appended": {"type": "integer"},
              "firstSequence": {"type": "integer"},
              "lastSequence": {"type": "integer"},
              "alreadyInLog": {"type": "integer"}
            }
          }
        },
        "responses": {
          "Error": {"description": "An error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      },
      "security": [{"bearer": []}, {"cookie": []}],
      "paths": {
        "/api/v1/healthz": {
          "get": {"summary": "Whether the service takes appends", "security": [],
                  "responses": {"200": {"description": "ok"}, "503": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/openapi.json": {
          "get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI 3.1"}}}
        },
        "/api/v1/login": {
          "post": {"summary": "Sign in", "security": [],
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["login", "password"],
                     "properties": {"login": {"type": "string"}, "password": {"type": "string"}}}}}},
                   "responses": {"200": {"description": "Signed in; the session cookie is set",
                                         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Identity"}}}},
                                 "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"},
                                 "415": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/logout": {
          "post": {"summary": "End the session", "responses": {"204": {"description": "Signed out"}, "401": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/me": {
          "get": {"summary": "The signed-in account",
                  "responses": {"200": {"description": "The account", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Identity"}}}},
                                "401": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/events": {
          "post": {"summary": "Append events as the signed-in account, all or nothing",
                   "requestBody": {"required": true, "content": {"application/json": {}, "application/x-ndjson": {}}},
                   "responses": {"200": {"description": "Appended (or already in the log)",
                                         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Appended"}}}},
                                 "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"},
                                 "409": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"},
                                 "422": {"$ref": "#/components/responses/Error"}}},
          "get": {"summary": "Events after a sequence, as JSON Lines (committee, analysts, archivists)",
                  "parameters": [{"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                                 {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000}}],
                  "responses": {"200": {"description": "JSON Lines", "content": {"application/x-ndjson": {}}},
                                "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/events/stream": {
          "get": {"summary": "Server-Sent Events of the events after a sequence, then of each new one (committee, analysts, archivists)",
                  "parameters": [{"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                                 {"name": "Last-Event-ID", "in": "header", "schema": {"type": "integer", "minimum": 0}}],
                  "responses": {"200": {"description": "text/event-stream: id, event, data (the event as JSON)", "content": {"text/event-stream": {}}},
                                "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
                                "503": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/events/changes": {
          "get": {"summary": "Server-Sent Events of the log's length each time it grows (committee, departments, analysts: the dashboards)",
                  "parameters": [{"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                                 {"name": "Last-Event-ID", "in": "header", "schema": {"type": "integer", "minimum": 0}}],
                  "responses": {"200": {"description": "text/event-stream: id (the last sequence), event: length, data (the log's length)", "content": {"text/event-stream": {}}},
                                "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
                                "503": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/stats": {
          "get": {"summary": "Clearance statistics (departments, committee, analysts; a town its region's rows)",
                  "parameters": [{"name": "period", "in": "query", "required": true, "schema": {"type": "string"}},
                                 {"name": "by", "in": "query", "schema": {"type": "string"}},
                                 {"name": "asOf", "in": "query", "schema": {"type": "string"}},
                                 {"name": "knownAt", "in": "query", "schema": {"type": "string"}}],
                  "responses": {"200": {"description": "The report as qingling stats --format json writes it", "content": {"application/json": {}}},
                                "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/overdue": {
          "get": {"summary": "Overdue alerts (departments, committee, analysts; a town its region's)",
                  "parameters": [{"name": "asOf", "in": "query", "schema": {"type": "string"}},
                                 {"name": "knownAt", "in": "query", "schema": {"type": "string"}},
                                 {"name": "only", "in": "query", "schema": {"type": "string"}}],
                  "responses": {"200": {"description": "The report as qingling overdue --format json writes it", "content": {"application/json": {}}},
                                "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/targets": {
          "get": {"summary": "The plan's three targets (departments, committee, analysts)",
                  "parameters": [{"name": "asOf", "in": "query", "schema": {"type": "string"}},
                                 {"name": "knownAt", "in": "query", "schema": {"type": "string"}}],
                  "responses": {"200": {"description": "The report as qingling targets --format json writes it", "content": {"application/json": {}}},
                                "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/ranking": {
          "get": {"summary": "The quarterly ranking (departments, committee, analysts)",
                  "parameters": [{"name": "quarter", "in": "query", "required": true, "schema": {"type": "string"}},
                                 {"name": "knownAt", "in": "query", "schema": {"type": "string"}}],
                  "responses": {"200": {"description": "The report as qingling ranking --format json writes it", "content": {"application/json": {}}},
                                "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/penalties": {
          "get": {"summary": "Penalties by quarter, department and kind (departments, committee, analysts)",
                  "parameters": [{"name": "from", "in": "query", "schema": {"type": "string"}},
                                 {"name": "to", "in": "query", "schema": {"type": "string"}},
                                 {"name": "department", "in": "query", "schema": {"type": "string"}},
                                 {"name": "knownAt", "in": "query", "schema": {"type": "string"}}],
                  "responses": {"200": {"description": "The report as qingling penalties --format json writes it", "content": {"application/json": {}}},
                                "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/rewards": {
          "get": {"summary": "Tip-offs and rewards (departments and the committee; every read audited)",
                  "parameters": [{"name": "paidOnly", "in": "query", "schema": {"type": "string"}},
                                 {"name": "knownAt", "in": "query", "schema": {"type": "string"}}],
                  "responses": {"200": {"description": "The report as qingling rewards --format json writes it", "content": {"application/json": {}}},
                                "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
                                "503": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/trace": {
          "get": {"summary": "Accountability trace-back as qingling trace --format json (an enterprise its own hazards and itself, a town its region's hazards)",
                  "parameters": [{"name": "hazard", "in": "query", "schema": {"type": "string"}}, {"name": "enterprise", "in": "query", "schema": {"type": "string"}},
                                 {"name": "person", "in": "query", "schema": {"type": "string"}}, {"name": "organization", "in": "query", "schema": {"type": "string"}},
                                 {"name": "reopened", "in": "query", "schema": {"type": "boolean"}}, {"name": "asOf", "in": "query", "schema": {"type": "string"}},
                                 {"name": "knownAt", "in": "query", "schema": {"type": "string"}}],
                  "responses": {"200": {"description": "The trace", "content": {"application/json": {}}},
                                "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/reminders": {
          "get": {"summary": "What the caller's organisation must do and by when (enterprises, towns, departments, the committee)",
                  "responses": {"200": {"description": "{asOf, reminders: [{duty, hazardId, region, industry, leadDepartment, status, since, days, overdue, levelDue}]}",
                                        "content": {"application/json": {}}},
                                "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/hazards": {
          "get": {"summary": "The hazard ledger (隐患台账) in the caller's scope: filtered, sorted, paged",
                  "parameters": [{"name": "region", "in": "query", "schema": {"type": "string"}, "description": "a region's name or code"},
                                 {"name": "industry", "in": "query", "schema": {"type": "string"}},
                                 {"name": "status", "in": "query", "style": "form", "explode": true,
                                  "schema": {"type": "array", "items": {"enum": ["reported", "rectifying", "awaiting-verification", "verified", "closed", "withdrawn"]}},
                                  "description": "repeated or comma-separated"},
                                 {"name": "overdue", "in": "query", "schema": {"type": "boolean"}},
                                 {"name": "department", "in": "query", "schema": {"type": "string"}, "description": "the lead department's id"},
                                 {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 200}},
                                 {"name": "sort", "in": "query", "schema": {"enum": ["hazardId", "-hazardId", "discoveredOn", "-discoveredOn", "deadline", "-deadline", "status", "-status"]}},
                                 {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                                 {"name": "pageSize", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
                                 {"name": "asOf", "in": "query", "schema": {"type": "string", "format": "date"}}],
                  "responses": {"200": {"description": "{asOf, total, page, pageSize, hazards: [{hazardId, status, region, industry, enterprise: {creditCode, name} | null, discoveredOn, deadline, leadDepartment: {id, name} | null, overdue, daysOverdue}]}",
                                        "content": {"application/json": {}}},
                                "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/tipoffs/{id}": {
          "get": {"summary": "A tip-off's receipt, the hazards reported with it, the penalties and rewards naming it (departments and the committee; every read audited)",
                  "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                  "responses": {"200": {"description": "{tipOffId, received, hazards: [{hazardId, status}], penalties, rewards}: events as qingling export writes them",
                                        "content": {"application/json": {}}},
                                "404": {"$ref": "#/components/responses/Error"}, "503": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/attachments": {
          "post": {"summary": "Store an evidence file (JPEG, PNG or PDF, at most 20 MiB; the type read from its bytes) for an event to name (enterprises, towns, departments, the committee)",
                   "requestBody": {"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                   "responses": {"201": {"description": "Stored: the attachment object {sha256, size, mediaType, caption} to put in an event's data.attachments",
                                         "content": {"application/json": {}}},
                                 "200": {"description": "Already stored: the same attachment object", "content": {"application/json": {}}},
                                 "403": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"},
                                 "415": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/attachments/{sha256}": {
          "get": {"summary": "An evidence file, re-hashed, for whoever may see a hazard or penalty naming it (anyone else: 404, as for an unknown hash)",
                  "parameters": [{"name": "sha256", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}],
                  "responses": {"200": {"description": "The file, with its media type, X-Content-Type-Options: nosniff and Content-Disposition",
                                        "content": {"image/jpeg": {}, "image/png": {}, "application/pdf": {}}},
                                "404": {"$ref": "#/components/responses/Error"}, "500": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/tipoffs/{id}/reveal": {
          "post": {"summary": "The reporter's identity of a tip-off (the committee only; every reveal audited with its reason; anyone else 404)",
                   "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                   "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"],
                                   "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 500}}}}}},
                   "responses": {"200": {"description": "{tipOffId, reporter: {name?, phone?, idNumber?, bankAccount?}}", "content": {"application/json": {}}},
                                 "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
                                 "410": {"$ref": "#/components/responses/Error"}, "503": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/hazards/{id}": {
          "get": {"summary": "One hazard's file (一患一档), within the caller's scope",
                  "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                  "responses": {"200": {"description": "The hazard and every event that names it; for an enterprise or a town, an escalation or penalty also naming hazards outside its scope names only those in it (shownInPart: true, no hash)"},
                                "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/api/v1/head": {
          "get": {"summary": "The log's head (committee, analysts, archivists)",
                  "responses": {"200": {"description": "size, lastSequence, lastRecordedAt, chainHead, sealedYear"},
                                "404": {"$ref": "#/components/responses/Error"}}}
        },
        "/metrics": {
          "get": {"summary": "Prometheus figures (committee, analysts, archivists)",
                  "responses": {"200": {"description": "Prometheus text format"}, "404": {"$ref": "#/components/responses/Error"}}}
        }
      }
    }
    """#
}
