/**
 * The tools/list answer of the SDK server (src/mcp/createVaibotMcpServer.ts), generated so the start-up
 * front can answer without loading the SDK. Do not edit: regenerate with
 * `VAIBOT_UPDATE_TOOL_LISTING=1 npx vitest run test/mcp/startupFront.test.ts` (a test fails while it differs).
 */
export const TOOL_LISTING: ReadonlyArray<Record<string, unknown>> = [
  {
    "name": "status",
    "title": "VAIBot status",
    "description": "Show VAIBot governance status: whether the hooks actually govern this Codex session (and why not, if not), observe/enforce mode, embedded or remote governance, the breaker, how many actions wait for a human, and the receipts count. Read-only.",
    "inputSchema": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "properties": {},
      "additionalProperties": false
    },
    "annotations": {
      "title": "VAIBot status",
      "readOnlyHint": true,
      "openWorldHint": false
    },
    "execution": {
      "taskSupport": "forbidden"
    },
    "outputSchema": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "properties": {
        "summary": {
          "type": "string",
          "description": "The result in words, for the user"
        },
        "version": {
          "type": "string"
        },
        "mode": {
          "type": "string",
          "enum": [
            "observe",
            "enforce"
          ]
        },
        "governance": {
          "anyOf": [
            {
              "type": "object",
              "properties": {
                "kind": {
                  "type": "string",
                  "const": "embedded"
                }
              },
              "required": [
                "kind"
              ],
              "additionalProperties": false
            },
            {
              "type": "object",
              "properties": {
                "kind": {
                  "type": "string",
                  "const": "remote"
                },
                "url": {
                  "type": "string"
                }
              },
              "required": [
                "kind",
                "url"
              ],
              "additionalProperties": false
            }
          ]
        },
        "home": {
          "type": "string"
        },
        "installId": {
          "type": [
            "string",
            "null"
          ]
        },
        "breaker": {
          "anyOf": [
            {
              "type": "object",
              "properties": {
                "state": {
                  "type": "string",
                  "enum": [
                    "closed",
                    "open",
                    "half_open"
                  ]
                },
                "openedAt": {
                  "type": [
                    "string",
                    "null"
                  ]
                },
                "cooldownMs": {
                  "type": "number"
                },
                "recentFailures": {
                  "type": "number"
                }
              },
              "required": [
                "state",
                "openedAt",
                "cooldownMs",
                "recentFailures"
              ],
              "additionalProperties": false
            },
            {
              "type": "null"
            }
          ]
        },
        "pendingCount": {
          "type": "number"
        },
        "receipts": {
          "type": [
            "number",
            "null"
          ]
        },
        "agentApprovals": {
          "type": "boolean"
        },
        "hooks": {
          "type": "object",
          "properties": {
            "state": {
              "type": "string",
              "enum": [
                "on",
                "off",
                "unknown"
              ]
            },
            "checkedAt": {
              "type": "string"
            },
            "plugin": {
              "anyOf": [
                {
                  "type": "object",
                  "properties": {
                    "id": {
                      "type": "string"
                    },
                    "version": {
                      "type": "string"
                    },
                    "installedPath": {
                      "type": "string"
                    },
                    "codexHome": {
                      "type": "string"
                    }
                  },
                  "required": [
                    "id",
                    "version",
                    "installedPath",
                    "codexHome"
                  ],
                  "additionalProperties": false
                },
                {
                  "type": "null"
                }
              ]
            },
            "checks": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "command-line",
                  "config",
                  "app-server"
                ]
              }
            },
            "problems": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "code": {
                    "type": "string"
                  },
                  "message": {
                    "type": "string"
                  },
                  "fix": {
                    "type": "string"
                  }
                },
                "required": [
                  "code",
                  "message",
                  "fix"
                ],
                "additionalProperties": false
              }
            },
            "note": {
              "type": [
                "string",
                "null"
              ]
            }
          },
          "required": [
            "state",
            "checkedAt",
            "plugin",
            "checks",
            "problems",
            "note"
          ],
          "additionalProperties": false
        },
        "problems": {
          "type": "array",
          "items": {
            "type": "string"
          }
        }
      },
      "required": [
        "summary",
        "version",
        "mode",
        "governance",
        "home",
        "installId",
        "breaker",
        "pendingCount",
        "receipts",
        "agentApprovals",
        "hooks",
        "problems"
      ],
      "additionalProperties": false
    }
  },
  {
    "name": "pending",
    "title": "VAIBot pending approvals",
    "description": "List actions VAIBot blocked until a human approves them (newest first), each with its content hash, tool, reason, expiry, the dashboard link and the `vaibot approve` command for the human. Read-only.",
    "inputSchema": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "properties": {
        "limit": {
          "default": 20,
          "description": "How many to return (1-100, default 20)",
          "type": "integer",
          "minimum": 1,
          "maximum": 100
        },
        "all": {
          "default": false,
          "description": "Also list answered, used and expired requests (default: only those waiting for a human)",
          "type": "boolean"
        }
      },
      "additionalProperties": false
    },
    "annotations": {
      "title": "VAIBot pending approvals",
      "readOnlyHint": true,
      "openWorldHint": false
    },
    "execution": {
      "taskSupport": "forbidden"
    },
    "outputSchema": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "properties": {
        "summary": {
          "type": "string",
          "description": "The result in words, for the user"
        },
        "requests": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "hash": {
                "type": "string"
              },
              "state": {
                "type": "string"
              },
              "waiting": {
                "type": "boolean"
              },
              "tool": {
                "type": "string"
              },
              "reason": {
                "type": "string"
              },
              "sessionId": {
                "type": "string"
              },
              "requestedAt": {
                "type": "string"
              },
              "expiresAt": {
                "type": "string"
              },
              "decidedBy": {
                "anyOf": [
                  {
                    "type": "object",
                    "properties": {
                      "id": {
                        "type": "string"
                      },
                      "via": {
                        "type": "string"
                      }
                    },
                    "required": [
                      "id",
                      "via"
                    ],
                    "additionalProperties": false
                  },
                  {
                    "type": "null"
                  }
                ]
              },
              "dashboardUrl": {
                "type": "string"
              },
              "approveCommand": {
                "type": "string"
              },
              "denyCommand": {
                "type": "string"
              }
            },
            "required": [
              "hash",
              "state",
              "waiting",
              "tool",
              "reason",
              "sessionId",
              "requestedAt",
              "expiresAt",
              "decidedBy",
              "dashboardUrl",
              "approveCommand",
              "denyCommand"
            ],
            "additionalProperties": false
          }
        },
        "unreadable": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "hash": {
                "type": "string"
              },
              "error": {
                "type": "string"
              }
            },
            "required": [
              "hash",
              "error"
            ],
            "additionalProperties": false
          }
        },
        "total": {
          "type": "number"
        }
      },
      "required": [
        "summary",
        "requests",
        "unreadable",
        "total"
      ],
      "additionalProperties": false
    }
  },
  {
    "name": "approve",
    "title": "Approve a VAIBot-blocked action (asks the human)",
    "description": "Ask the human to approve one exact action VAIBot blocked, identified by its content hash. The human confirms in a dialog showing the action, its risk and hash; the agent cannot approve by itself. If no dialog can be shown, nothing is approved and the result gives the dashboard link and the `vaibot approve` command for the user. Only after outcome \"approved\" retry the same exact action; never retry it in another form.",
    "inputSchema": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "properties": {
        "hash": {
          "type": "string",
          "pattern": "^sha256:[0-9a-f]{64}$",
          "description": "The content hash of one exact action, `sha256:` + 64 lowercase hex digits, as VAIBot printed it"
        },
        "scope": {
          "default": "once",
          "description": "once: the next retry only (default); session: every retry of this exact action in the session that asked. The human can change it.",
          "type": "string",
          "enum": [
            "once",
            "session"
          ]
        }
      },
      "required": [
        "hash"
      ],
      "additionalProperties": false
    },
    "annotations": {
      "title": "Approve a blocked action",
      "readOnlyHint": false,
      "destructiveHint": true,
      "idempotentHint": true,
      "openWorldHint": false
    },
    "execution": {
      "taskSupport": "forbidden"
    },
    "outputSchema": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "properties": {
        "summary": {
          "type": "string",
          "description": "The result in words, for the user"
        },
        "action": {
          "type": "string",
          "enum": [
            "approve",
            "deny"
          ]
        },
        "hash": {
          "type": "string"
        },
        "outcome": {
          "type": "string",
          "enum": [
            "approved",
            "denied",
            "declined",
            "needs_human",
            "unchanged"
          ]
        },
        "tookEffect": {
          "type": "boolean"
        },
        "via": {
          "anyOf": [
            {
              "type": "string",
              "enum": [
                "mcp-elicitation",
                "agent-mediated"
              ]
            },
            {
              "type": "null"
            }
          ]
        },
        "state": {
          "type": [
            "string",
            "null"
          ]
        },
        "tool": {
          "type": [
            "string",
            "null"
          ]
        },
        "heldBecause": {
          "type": [
            "string",
            "null"
          ]
        },
        "intent": {
          "type": [
            "string",
            "null"
          ]
        },
        "risk": {
          "anyOf": [
            {
              "type": "object",
              "properties": {
                "level": {
                  "type": "string"
                },
                "reason": {
                  "type": "string"
                }
              },
              "required": [
                "level",
                "reason"
              ],
              "additionalProperties": false
            },
            {
              "type": "null"
            }
          ]
        },
        "scope": {
          "anyOf": [
            {
              "type": "string",
              "enum": [
                "once",
                "session"
              ]
            },
            {
              "type": "null"
            }
          ]
        },
        "why": {
          "type": [
            "string",
            "null"
          ]
        },
        "dashboardUrl": {
          "type": "string"
        },
        "approveCommand": {
          "type": "string"
        },
        "denyCommand": {
          "type": "string"
        }
      },
      "required": [
        "summary",
        "action",
        "hash",
        "outcome",
        "tookEffect",
        "via",
        "state",
        "tool",
        "heldBecause",
        "intent",
        "risk",
        "scope",
        "why",
        "dashboardUrl",
        "approveCommand",
        "denyCommand"
      ],
      "additionalProperties": false
    }
  },
  {
    "name": "deny",
    "title": "Deny a VAIBot-blocked action (asks the human)",
    "description": "Ask the human to deny, for good, one exact action VAIBot blocked, identified by its content hash. The human confirms in a dialog; the agent cannot deny by itself. If no dialog can be shown, nothing changes and the result gives the dashboard link and the `vaibot deny` command for the user.",
    "inputSchema": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "properties": {
        "hash": {
          "type": "string",
          "pattern": "^sha256:[0-9a-f]{64}$",
          "description": "The content hash of one exact action, `sha256:` + 64 lowercase hex digits, as VAIBot printed it"
        },
        "reason": {
          "description": "Why it should be denied (recorded; the human can change it)",
          "type": "string",
          "maxLength": 500
        }
      },
      "required": [
        "hash"
      ],
      "additionalProperties": false
    },
    "annotations": {
      "title": "Deny a blocked action",
      "readOnlyHint": false,
      "destructiveHint": true,
      "idempotentHint": true,
      "openWorldHint": false
    },
    "execution": {
      "taskSupport": "forbidden"
    },
    "outputSchema": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "properties": {
        "summary": {
          "type": "string",
          "description": "The result in words, for the user"
        },
        "action": {
          "type": "string",
          "enum": [
            "approve",
            "deny"
          ]
        },
        "hash": {
          "type": "string"
        },
        "outcome": {
          "type": "string",
          "enum": [
            "approved",
            "denied",
            "declined",
            "needs_human",
            "unchanged"
          ]
        },
        "tookEffect": {
          "type": "boolean"
        },
        "via": {
          "anyOf": [
            {
              "type": "string",
              "enum": [
                "mcp-elicitation",
                "agent-mediated"
              ]
            },
            {
              "type": "null"
            }
          ]
        },
        "state": {
          "type": [
            "string",
            "null"
          ]
        },
        "tool": {
          "type": [
            "string",
            "null"
          ]
        },
        "heldBecause": {
          "type": [
            "string",
            "null"
          ]
        },
        "intent": {
          "type": [
            "string",
            "null"
          ]
        },
        "risk": {
          "anyOf": [
            {
              "type": "object",
              "properties": {
                "level": {
                  "type": "string"
                },
                "reason": {
                  "type": "string"
                }
              },
              "required": [
                "level",
                "reason"
              ],
              "additionalProperties": false
            },
            {
              "type": "null"
            }
          ]
        },
        "scope": {
          "anyOf": [
            {
              "type": "string",
              "enum": [
                "once",
                "session"
              ]
            },
            {
              "type": "null"
            }
          ]
        },
        "why": {
          "type": [
            "string",
            "null"
          ]
        },
        "dashboardUrl": {
          "type": "string"
        },
        "approveCommand": {
          "type": "string"
        },
        "denyCommand": {
          "type": "string"
        }
      },
      "required": [
        "summary",
        "action",
        "hash",
        "outcome",
        "tookEffect",
        "via",
        "state",
        "tool",
        "heldBecause",
        "intent",
        "risk",
        "scope",
        "why",
        "dashboardUrl",
        "approveCommand",
        "denyCommand"
      ],
      "additionalProperties": false
    }
  },
  {
    "name": "recent",
    "title": "VAIBot recent receipts",
    "description": "Show the newest VAIBot receipts (newest first): each decision (allow / deny / approval_required, with risk and reason) and each outcome, optionally only for one content hash, session or kind. Secrets are redacted. Read-only.",
    "inputSchema": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "properties": {
        "limit": {
          "default": 10,
          "description": "How many to return (1-100, default 10)",
          "type": "integer",
          "minimum": 1,
          "maximum": 100
        },
        "hash": {
          "description": "Only receipts of this content hash",
          "type": "string",
          "pattern": "^sha256:[0-9a-f]{64}$"
        },
        "sessionId": {
          "description": "Only receipts of this Codex session",
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        },
        "kind": {
          "description": "Only decisions or only outcomes",
          "type": "string",
          "enum": [
            "decision",
            "outcome"
          ]
        }
      },
      "additionalProperties": false
    },
    "annotations": {
      "title": "VAIBot recent receipts",
      "readOnlyHint": true,
      "openWorldHint": false
    },
    "execution": {
      "taskSupport": "forbidden"
    },
    "outputSchema": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "properties": {
        "summary": {
          "type": "string",
          "description": "The result in words, for the user"
        },
        "receipts": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "seq": {
                "type": "number"
              },
              "id": {
                "type": "string"
              },
              "at": {
                "type": "string"
              },
              "kind": {
                "type": "string",
                "enum": [
                  "decision",
                  "outcome"
                ]
              },
              "tool": {
                "type": "string"
              },
              "intent": {
                "type": "string"
              },
              "contentHash": {
                "type": "string"
              },
              "mode": {
                "type": "string",
                "enum": [
                  "observe",
                  "enforce"
                ]
              },
              "decision": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "wouldBe": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "basis": {
                "type": "string"
              },
              "risk": {
                "anyOf": [
                  {
                    "type": "object",
                    "properties": {
                      "level": {
                        "type": "string"
                      },
                      "reason": {
                        "type": "string"
                      },
                      "ruleIds": {
                        "type": "array",
                        "items": {
                          "type": "string"
                        }
                      }
                    },
                    "required": [
                      "level",
                      "reason",
                      "ruleIds"
                    ],
                    "additionalProperties": false
                  },
                  {
                    "type": "null"
                  }
                ]
              },
              "approvalState": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "outcome": {
                "anyOf": [
                  {
                    "type": "object",
                    "properties": {
                      "status": {
                        "type": "string"
                      },
                      "exitCode": {
                        "type": [
                          "number",
                          "null"
                        ]
                      },
                      "durationMs": {
                        "type": [
                          "number",
                          "null"
                        ]
                      }
                    },
                    "required": [
                      "status",
                      "exitCode",
                      "durationMs"
                    ],
                    "additionalProperties": false
                  },
                  {
                    "type": "null"
                  }
                ]
              },
              "sessionId": {
                "type": [
                  "string",
                  "null"
                ]
              }
            },
            "required": [
              "seq",
              "id",
              "at",
              "kind",
              "tool",
              "intent",
              "contentHash",
              "mode",
              "decision",
              "wouldBe",
              "basis",
              "risk",
              "approvalState",
              "outcome",
              "sessionId"
            ],
            "additionalProperties": false
          }
        },
        "total": {
          "type": "number"
        }
      },
      "required": [
        "summary",
        "receipts",
        "total"
      ],
      "additionalProperties": false
    }
  },
  {
    "name": "policy",
    "title": "VAIBot policy",
    "description": "Show the effective VAIBot policy: which rules decide allow, deny or approval_required, where each comes from, and which policy files are in effect (an invalid policy file blocks everything in enforce mode). Read-only; the agent cannot change the policy.",
    "inputSchema": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "properties": {
        "cwd": {
          "description": "A project directory, to include that project's policy (which can only tighten the user's)",
          "type": "string",
          "maxLength": 4096,
          "pattern": "^\\/"
        }
      },
      "additionalProperties": false
    },
    "annotations": {
      "title": "VAIBot policy",
      "readOnlyHint": true,
      "openWorldHint": false
    },
    "execution": {
      "taskSupport": "forbidden"
    },
    "outputSchema": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "properties": {
        "summary": {
          "type": "string",
          "description": "The result in words, for the user"
        },
        "source": {
          "type": "string",
          "enum": [
            "builtin",
            "file"
          ]
        },
        "mode": {
          "type": "string",
          "enum": [
            "observe",
            "enforce"
          ]
        },
        "files": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "path": {
                "type": "string"
              },
              "scope": {
                "type": "string",
                "enum": [
                  "user",
                  "project"
                ]
              },
              "exists": {
                "type": "boolean"
              },
              "error": {
                "type": [
                  "string",
                  "null"
                ]
              }
            },
            "required": [
              "path",
              "scope",
              "exists",
              "error"
            ],
            "additionalProperties": false
          }
        },
        "rules": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "when": {
                "type": "string"
              },
              "action": {
                "type": "string",
                "enum": [
                  "allow",
                  "deny",
                  "approval_required"
                ]
              },
              "source": {
                "type": "string"
              }
            },
            "required": [
              "id",
              "when",
              "action",
              "source"
            ],
            "additionalProperties": false
          }
        },
        "notes": {
          "type": "array",
          "items": {
            "type": "string"
          }
        }
      },
      "required": [
        "summary",
        "source",
        "mode",
        "files",
        "rules",
        "notes"
      ],
      "additionalProperties": false
    }
  },
  {
    "name": "verify",
    "title": "VAIBot verify receipts",
    "description": "Verify the receipts of one action (by content hash) or one receipt (by id) against the VAIBot log, naming any check that fails. Read-only.",
    "inputSchema": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "properties": {
        "hash": {
          "description": "Verify every receipt of this content hash",
          "type": "string",
          "pattern": "^sha256:[0-9a-f]{64}$"
        },
        "receiptId": {
          "description": "Verify this one receipt",
          "type": "string",
          "pattern": "^[0-9a-zA-Z-]{8,64}$"
        }
      },
      "additionalProperties": false
    },
    "annotations": {
      "title": "VAIBot verify receipts",
      "readOnlyHint": true,
      "openWorldHint": false
    },
    "execution": {
      "taskSupport": "forbidden"
    },
    "outputSchema": {
      "$schema": "http://json-schema.org/draft-07/schema#",
      "type": "object",
      "properties": {
        "summary": {
          "type": "string",
          "description": "The result in words, for the user"
        },
        "target": {
          "anyOf": [
            {
              "type": "object",
              "properties": {
                "kind": {
                  "type": "string",
                  "const": "hash"
                },
                "hash": {
                  "type": "string"
                }
              },
              "required": [
                "kind",
                "hash"
              ],
              "additionalProperties": false
            },
            {
              "type": "object",
              "properties": {
                "kind": {
                  "type": "string",
                  "const": "receipt"
                },
                "id": {
                  "type": "string"
                }
              },
              "required": [
                "kind",
                "id"
              ],
              "additionalProperties": false
            }
          ]
        },
        "found": {
          "type": "number"
        },
        "ok": {
          "type": "boolean"
        },
        "receipts": {
          "type": "array",
          "items": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "seq": {
                "type": "number"
              },
              "kind": {
                "type": "string",
                "enum": [
                  "decision",
                  "outcome"
                ]
              },
              "at": {
                "type": "string"
              },
              "tool": {
                "type": "string"
              },
              "contentHash": {
                "type": "string"
              },
              "decision": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "leafHash": {
                "type": "string"
              },
              "checks": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "name": {
                      "type": "string"
                    },
                    "ok": {
                      "type": "boolean"
                    },
                    "detail": {
                      "type": "string"
                    }
                  },
                  "required": [
                    "name",
                    "ok",
                    "detail"
                  ],
                  "additionalProperties": false
                }
              },
              "ok": {
                "type": "boolean"
              }
            },
            "required": [
              "id",
              "seq",
              "kind",
              "at",
              "tool",
              "contentHash",
              "decision",
              "leafHash",
              "checks",
              "ok"
            ],
            "additionalProperties": false
          }
        },
        "limits": {
          "type": "array",
          "items": {
            "type": "string"
          }
        }
      },
      "required": [
        "summary",
        "target",
        "found",
        "ok",
        "receipts",
        "limits"
      ],
      "additionalProperties": false
    }
  }
];
