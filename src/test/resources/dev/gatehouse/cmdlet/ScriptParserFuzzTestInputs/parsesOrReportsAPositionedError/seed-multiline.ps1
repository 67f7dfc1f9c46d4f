Get-Thing | `
  Set-Thing -Identity x # comment
<# block #> st y; st z -Names @(
 "a"
 b
)
