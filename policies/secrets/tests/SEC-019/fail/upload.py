SAS = "?sv=2022-11-02&sr=c&sp=racwl&se=2027-06-30&sig=<<ward:SEC-019>>"
