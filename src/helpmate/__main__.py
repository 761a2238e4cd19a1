from helpmate.cli import main

main()
