from spinedecide.cli import main

main()
