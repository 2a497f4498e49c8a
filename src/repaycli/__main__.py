from repaycli.cli import main

main()
