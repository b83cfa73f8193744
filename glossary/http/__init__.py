"""What every request passes through, whatever part of the site it is for: the client's address, the content security policy, refused characters."""
