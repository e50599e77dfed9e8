{
  "targets": [
    {
      "target_name": "genomatrix",
      "sources": ["binding.c"],
      "libraries": ["-lisal", "-ldeflate"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
