{
  "targets": [
    {
      "target_name": "genomatrix",
      "sources": ["binding.c"],
      "libraries": ["-lisal", "-ldeflate", "-lm"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
