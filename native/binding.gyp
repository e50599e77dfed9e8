{
  "targets": [
    {
      "target_name": "gunzip",
      "sources": ["isal.c"],
      "libraries": ["-lisal"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
