{
  "targets": [
    {
      "target_name": "gunzip",
      "sources": ["libdeflate.c"],
      "libraries": ["-ldeflate"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
