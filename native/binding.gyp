{
  "targets": [
    {
      "target_name": "genomatrix",
      "sources": ["binding.c"],
      "libraries": ["-lisal"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
