"""Click commands, one module per stage; kg.cli assembles them."""
